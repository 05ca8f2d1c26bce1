export interface Dish {
  id: string;
  name: string;
  description: string;
  price: string;
  tags: string[];
}

export interface MenuData {
  eyebrow: string;
  title: string;
  intro: string;
  note: string;
  categories: { id: string; name: string; dishes: Dish[] }[];
}
