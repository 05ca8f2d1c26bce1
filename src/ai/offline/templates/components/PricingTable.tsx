export interface PricingTableProps {
  anchor: string;
  title: string;
  intro: string;
  /** Prices are formatted text (currency and all), written by the engine. */
  plans: {
    id: string;
    name: string;
    price: string;
    period: string;
    features: string[];
    featured: boolean;
  }[];
  featuredLabel: string;
  action: { label: string; href: string };
}

export default function PricingTable({
  anchor,
  title,
  intro,
  plans,
  featuredLabel,
  action,
}: PricingTableProps) {
  return (
    <section id={anchor} className="section" aria-labelledby={anchor + '-title'}>
      <div className="container">
        <div className="section-heading">
          <h2 id={anchor + '-title'}>{title}</h2>
          {intro ? <p className="section-intro">{intro}</p> : null}
        </div>
        <div className="plan-grid">
          {plans.map((plan) => (
            <article
              key={plan.id}
              className={plan.featured ? 'plan featured' : 'plan'}
              aria-labelledby={plan.id + '-name'}
            >
              {plan.featured ? <span className="badge">{featuredLabel}</span> : null}
              <h3 id={plan.id + '-name'}>{plan.name}</h3>
              <p className="plan-price">
                {plan.price} <span>{plan.period}</span>
              </p>
              <ul className="check-list" aria-label={'Included in ' + plan.name}>
                {plan.features.map((feature, index) => (
                  <li key={index}>{feature}</li>
                ))}
              </ul>
              <a
                className={plan.featured ? 'btn' : 'btn btn-ghost'}
                href={action.href}
                aria-label={action.label + ': ' + plan.name}
              >
                {action.label}
              </a>
            </article>
          ))}
        </div>
      </div>
    </section>
  );
}
