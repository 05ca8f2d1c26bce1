export interface TeamSection {
  eyebrow: string;
  title: string;
  intro: string;
  members: { id: string; name: string; role: string; bio: string; initials: string; hue: number }[];
}
