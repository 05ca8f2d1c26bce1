import { team } from '../data';
import SectionHeading from './SectionHeading';

export default function Team() {
  return (
    <section id="team" className="section">
      <div className="container">
        <SectionHeading eyebrow={team.eyebrow} title={team.title} intro={team.intro} />
        <div className="card-grid">
          {team.members.map((member) => (
            <article key={member.id} className="card person">
              <span
                className="avatar"
                style={{ background: 'hsl(' + member.hue + ' 55% 45%)' }}
                aria-hidden="true"
              >
                {member.initials}
              </span>
              <h3>{member.name}</h3>
              <p className="person-role">{member.role}</p>
              <p>{member.bio}</p>
            </article>
          ))}
        </div>
      </div>
    </section>
  );
}
