export interface AboutSection {
  eyebrow: string;
  title: string;
  paragraphs: string[];
  highlights: string[];
  stats: { id: string; value: string; label: string }[];
}
