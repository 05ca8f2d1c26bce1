export interface Project {
  id: string;
  title: string;
  category: string;
  year: string;
  emoji: string;
  summary: string;
  detail: string;
  tags: string[];
  hue: number;
}

export interface PortfolioData {
  eyebrow: string;
  title: string;
  intro: string;
  role: string;
  projects: Project[];
}
