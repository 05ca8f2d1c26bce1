import { useId, useState } from 'react';
import { newId, useStoredList } from './stored-list';

export interface PriorityListProps {
  anchor: string;
  title: string;
  storageKey: string;
  /** Highest first; the order is the sort order. */
  priorities: { id: string; label: string }[];
  starter: { id: string; text: string; priority: string }[];
}

interface Item {
  id: string;
  text: string;
  priority: string;
  added: number;
}

type Sort = 'priority' | 'newest' | 'name';

const SORTS: { id: Sort; label: string }[] = [
  { id: 'priority', label: 'Priority, highest first' },
  { id: 'newest', label: 'Newest first' },
  { id: 'name', label: 'Name, A to Z' },
];

function isItem(value: unknown): value is Item {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  return (
    typeof item.id === 'string' &&
    typeof item.text === 'string' &&
    typeof item.priority === 'string' &&
    typeof item.added === 'number'
  );
}

export default function PriorityList({
  anchor,
  title,
  storageKey,
  priorities,
  starter,
}: PriorityListProps) {
  const [items, setItems] = useStoredList<Item>(storageKey, isItem, () =>
    starter.map((item, index) => ({ ...item, added: starter.length - index })),
  );
  const [text, setText] = useState('');
  const [priority, setPriority] = useState(priorities[0]?.id ?? '');
  const [sort, setSort] = useState<Sort>('priority');
  // Selects are labelled by id, not by nesting: a nested select's value would join its name.
  const ids = { priority: useId(), sort: useId() };

  const rank = (id: string) => {
    const index = priorities.findIndex((item) => item.id === id);
    return index === -1 ? priorities.length : index;
  };
  const label = (id: string) => priorities.find((item) => item.id === id)?.label ?? id;
  const sorted = [...items].sort((a, b) => {
    if (sort === 'name') return a.text.localeCompare(b.text);
    if (sort === 'newest') return b.added - a.added;
    return rank(a.priority) - rank(b.priority) || b.added - a.added;
  });

  const add = () => {
    const value = text.trim();
    if (!value) return;
    setItems((current) => [
      { id: newId('item'), text: value, priority, added: Date.now() },
      ...current,
    ]);
    setText('');
  };
  const remove = (id: string) => setItems((current) => current.filter((item) => item.id !== id));

  return (
    <section id={anchor} className="section" aria-labelledby={anchor + '-title'}>
      <div className="container narrow">
        <h2 id={anchor + '-title'}>{title}</h2>
        <form
          className="priority-form"
          onSubmit={(event) => {
            event.preventDefault();
            add();
          }}
        >
          <label>
            Item
            <input
              value={text}
              maxLength={140}
              autoComplete="off"
              onChange={(event) => setText(event.target.value)}
            />
          </label>
          <div className="field">
            <label htmlFor={ids.priority}>Priority</label>
            <select
              id={ids.priority}
              value={priority}
              onChange={(event) => setPriority(event.target.value)}
            >
              {priorities.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn" disabled={!text.trim()}>
            Add
          </button>
        </form>
        <div className="priority-sort">
          <label htmlFor={ids.sort}>Sort by</label>
          <select
            id={ids.sort}
            value={sort}
            onChange={(event) => setSort(event.target.value as Sort)}
          >
            {SORTS.map((item) => (
              <option key={item.id} value={item.id}>
                {item.label}
              </option>
            ))}
          </select>
        </div>
        {sorted.length === 0 ? (
          <p className="empty">Nothing on the list yet.</p>
        ) : (
          <ol className="priority-list" aria-label={title}>
            {sorted.map((item) => (
              <li key={item.id} className={'priority-item priority-' + String(rank(item.priority))}>
                <span className="priority-badge">{label(item.priority)}</span>
                <span className="priority-text">{item.text}</span>
                <button
                  type="button"
                  className="list-remove"
                  aria-label={'Remove: ' + item.text}
                  onClick={() => remove(item.id)}
                >
                  ✕
                </button>
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
