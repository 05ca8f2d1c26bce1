export interface Card {
  id: string;
  icon: string;
  title: string;
  text: string;
  price: string;
}

export interface CardSection {
  eyebrow: string;
  title: string;
  intro: string;
  items: Card[];
}
