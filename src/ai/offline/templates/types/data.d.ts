// Stand-in for a generated app's src/data.ts, for the type checker only (never copied into an
// app). Templates import their data from '../data'; the engine writes the real file, with these
// types inlined and values from the prompt. tsconfig.json's rootDirs merges this folder with the
// template folders into one virtual src/, as the files are laid out in an app.
import type { BlogData } from './blog';
import type { CatalogData } from './catalog';
import type { DashboardData } from './dashboard';
import type { EventData } from './event';
import type { MenuData } from './menu';
import type { PortfolioData } from './portfolio';
import type { AboutSection } from './section-about';
import type { ContactSection } from './section-contact';
import type { FaqSection } from './section-faq';
import type { CardSection } from './section-features';
import type { GallerySection } from './section-gallery';
import type { NewsletterSection } from './section-newsletter';
import type { PricingSection } from './section-pricing';
import type { TeamSection } from './section-team';
import type { TestimonialsSection } from './section-testimonials';
import type { Site } from './site';
import type { TaskBoardData } from './todo';

export declare const site: Site;

export declare const blog: BlogData;
export declare const catalog: CatalogData;
export declare const dashboard: DashboardData;
export declare const event: EventData;
export declare const menu: MenuData;
export declare const portfolio: PortfolioData;
export declare const taskBoard: TaskBoardData;

export declare const features: CardSection;
export declare const services: CardSection;
export declare const about: AboutSection;
export declare const gallery: GallerySection;
export declare const team: TeamSection;
export declare const pricing: PricingSection;
export declare const testimonials: TestimonialsSection;
export declare const faq: FaqSection;
export declare const newsletter: NewsletterSection;
export declare const contact: ContactSection;
