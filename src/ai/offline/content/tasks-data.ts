/** Starter lists for the task app, chosen by what the list is for. */

interface TaskSet {
  test: RegExp;
  tags: readonly string[];
  /** text, tag index, done */
  tasks: readonly (readonly [string, number, boolean])[];
}

const SETS: readonly TaskSet[] = [
  {
    test: /\b(grocer(y|ies)|shopping|supermarket|food)\b/,
    tags: ['Produce', 'Pantry', 'Dairy'],
    tasks: [
      ['Apples and bananas', 0, false],
      ['Oat milk', 2, true],
      ['Whole-grain bread', 1, false],
      ['Greek yoghurt', 2, false],
      ['Spinach and tomatoes', 0, false],
    ],
  },
  {
    test: /\b(wedding|party|event|birthday)\b/,
    tags: ['Guests', 'Venue', 'Details'],
    tasks: [
      ['Send the invitations', 0, true],
      ['Confirm the caterer and menu', 1, false],
      ['Order flowers', 2, false],
      ['Make the seating plan', 0, false],
      ['Write the playlist', 2, false],
    ],
  },
  {
    test: /\b(travel|trip|packing|vacation|holiday)\b/,
    tags: ['Bookings', 'Packing', 'Before we go'],
    tasks: [
      ['Book flights', 0, true],
      ['Reserve the first two nights', 0, false],
      ['Pack chargers and adapters', 1, false],
      ['Check passport expiry date', 2, false],
      ['Ask a neighbour to water the plants', 2, false],
    ],
  },
  {
    test: /\b(study|school|homework|exam|class|student|course)\b/,
    tags: ['Reading', 'Assignments', 'Revision'],
    tasks: [
      ['Read chapter 4', 0, true],
      ['Finish the lab report', 1, false],
      ['Make flashcards for the quiz', 2, false],
      ['Email the study group', 1, false],
      ['Review last week’s notes', 2, false],
    ],
  },
  {
    test: /\b(work|team|project|office|sprint|client|business|startup)\b/,
    tags: ['Planning', 'Build', 'Follow-up'],
    tasks: [
      ['Draft the project brief', 0, true],
      ['Review the design mock-ups', 1, false],
      ['Prepare Monday’s status update', 0, false],
      ['Reply to the client email', 2, false],
      ['Book the team retro', 2, false],
    ],
  },
  {
    test: /\b(home|house|chores?|cleaning|moving|family)\b/,
    tags: ['Kitchen', 'Around the house', 'Errands'],
    tasks: [
      ['Run the dishwasher', 0, true],
      ['Water the plants', 1, false],
      ['Take out the recycling', 1, false],
      ['Pick up the dry cleaning', 2, false],
      ['Change the bed sheets', 1, false],
    ],
  },
];

const DEFAULT_SET: TaskSet = {
  test: /$^/,
  tags: ['Personal', 'Work', 'Errands'],
  tasks: [
    ['Plan the week ahead', 1, true],
    ['Go for a 30-minute walk', 0, false],
    ['Reply to important emails', 1, false],
    ['Pick up groceries', 2, false],
    ['Call a friend', 0, false],
  ],
};

export interface TaskSeed {
  id: string;
  text: string;
  tag: string;
  done: boolean;
}

export const PRIORITIES = /\bpriorit(y|ies|i[sz]e[ds]?)\b/;
export const PRIORITY_TAGS = ['High priority', 'Medium priority', 'Low priority'] as const;

/** Starter tasks and tags: the prompt's own items when it listed some. */
export function starterTasks(
  topic: string,
  items: readonly string[],
): { tags: string[]; tasks: TaskSeed[] } {
  const set = SETS.find((candidate) => candidate.test.test(topic)) ?? DEFAULT_SET;
  // Asked for priorities, the task board's tag is the priority: one per task, filterable.
  const tags = PRIORITIES.test(topic) ? [...PRIORITY_TAGS] : [...set.tags];
  const source: (readonly [string, number, boolean])[] =
    items.length > 0
      ? items.map((text, index) => [text, index % tags.length, false] as const)
      : [...set.tasks];
  return {
    tags,
    tasks: source.map(([text, tag, done], index) => ({
      id: 'starter-' + (index + 1),
      text,
      tag: tags[tag % tags.length] ?? 'General',
      done,
    })),
  };
}
