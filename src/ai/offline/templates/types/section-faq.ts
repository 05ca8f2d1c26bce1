export interface FaqSection {
  eyebrow: string;
  title: string;
  intro: string;
  items: { id: string; question: string; answer: string }[];
}
