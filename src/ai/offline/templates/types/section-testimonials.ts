export interface TestimonialsSection {
  eyebrow: string;
  title: string;
  intro: string;
  items: { id: string; quote: string; name: string; role: string; rating: number }[];
}
