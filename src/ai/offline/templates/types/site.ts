export interface Link {
  label: string;
  href: string;
}

export interface Site {
  name: string;
  tagline: string;
  description: string;
  eyebrow: string;
  logo: string;
  highlights: string[];
  cta: Link | null;
  secondaryCta: Link | null;
  nav: Link[];
  footerNote: string;
}
