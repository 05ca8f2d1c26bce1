export interface Product {
  id: string;
  name: string;
  category: string;
  price: number;
  emoji: string;
  description: string;
  rating: number;
  badge: string;
  hue: number;
}

export interface CatalogData {
  eyebrow: string;
  title: string;
  intro: string;
  currency: string;
  products: Product[];
}
