import type { Link } from './site';

export interface Plan {
  id: string;
  name: string;
  price: string;
  period: string;
  description: string;
  features: string[];
  featured: boolean;
}

export interface PricingSection {
  eyebrow: string;
  title: string;
  intro: string;
  featuredLabel: string;
  action: Link;
  plans: Plan[];
}
