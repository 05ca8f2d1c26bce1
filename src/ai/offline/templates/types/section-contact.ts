export interface ContactSection {
  eyebrow: string;
  title: string;
  intro: string;
  button: string;
  success: string;
  details: { id: string; icon: string; label: string; value: string }[];
}
