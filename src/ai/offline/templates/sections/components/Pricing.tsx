import { pricing } from '../data';
import SectionHeading from './SectionHeading';

export default function Pricing() {
  return (
    <section id="pricing" className="section">
      <div className="container">
        <SectionHeading eyebrow={pricing.eyebrow} title={pricing.title} intro={pricing.intro} />
        <div className="plan-grid">
          {pricing.plans.map((plan) => (
            <article key={plan.id} className={plan.featured ? 'plan featured' : 'plan'}>
              {plan.featured ? <span className="badge">{pricing.featuredLabel}</span> : null}
              <h3>{plan.name}</h3>
              <p className="plan-price">
                {plan.price} <span>{plan.period}</span>
              </p>
              <p className="muted">{plan.description}</p>
              <ul className="check-list">
                {plan.features.map((feature, index) => (
                  <li key={index}>{feature}</li>
                ))}
              </ul>
              <a className={plan.featured ? 'btn' : 'btn btn-ghost'} href={pricing.action.href}>
                {pricing.action.label}
              </a>
            </article>
          ))}
        </div>
      </div>
    </section>
  );
}
