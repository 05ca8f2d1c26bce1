import { useEffect, useState } from 'react';
import { taskBoard } from '../data';

interface Task {
  id: string;
  text: string;
  tag: string;
  done: boolean;
}

type Filter = 'all' | 'active' | 'done';

const FILTERS: { id: Filter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'active', label: 'Active' },
  { id: 'done', label: 'Completed' },
];

function isTask(value: unknown): value is Task {
  if (typeof value !== 'object' || value === null) return false;
  const task = value as Record<string, unknown>;
  return (
    typeof task.id === 'string' &&
    typeof task.text === 'string' &&
    typeof task.tag === 'string' &&
    typeof task.done === 'boolean'
  );
}

function loadTasks(): Task[] {
  try {
    const saved = window.localStorage.getItem(taskBoard.storageKey);
    if (saved !== null) {
      const parsed: unknown = JSON.parse(saved);
      if (Array.isArray(parsed)) return parsed.filter(isTask);
    }
  } catch {
    // Storage may be blocked or hold something unexpected: start from the starter list.
  }
  return taskBoard.starter.map((task) => ({ ...task }));
}

function newId(): string {
  return 'task-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 8);
}

export default function TaskBoard() {
  const [tasks, setTasks] = useState<Task[]>(loadTasks);
  const [text, setText] = useState('');
  const [tag, setTag] = useState(taskBoard.tags[0] ?? '');
  const [filter, setFilter] = useState<Filter>('all');

  useEffect(() => {
    try {
      window.localStorage.setItem(taskBoard.storageKey, JSON.stringify(tasks));
    } catch {
      // Storage is full or blocked: the list still works for this visit.
    }
  }, [tasks]);

  const remaining = tasks.filter((task) => !task.done).length;
  const completed = tasks.length - remaining;
  const progress = tasks.length === 0 ? 0 : Math.round((completed / tasks.length) * 100);
  const visible = tasks.filter(
    (task) => filter === 'all' || (filter === 'done' ? task.done : !task.done),
  );

  const addTask = () => {
    const value = text.trim();
    if (!value) return;
    setTasks((current) => [{ id: newId(), text: value, tag, done: false }, ...current]);
    setText('');
  };
  const toggle = (id: string) =>
    setTasks((current) =>
      current.map((task) => (task.id === id ? { ...task, done: !task.done } : task)),
    );
  const remove = (id: string) => setTasks((current) => current.filter((task) => task.id !== id));
  const clearCompleted = () => setTasks((current) => current.filter((task) => !task.done));

  return (
    <section id="tasks" className="section">
      <div className="container narrow">
        <div className="task-card">
          <div className="task-header">
            <div>
              <h2>{taskBoard.title}</h2>
              <p className="muted" aria-live="polite">
                {remaining === 0
                  ? taskBoard.allDone
                  : remaining + (remaining === 1 ? ' task left' : ' tasks left')}
              </p>
            </div>
            <div
              className="progress"
              role="progressbar"
              aria-label="Tasks completed"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={progress}
            >
              <span style={{ width: progress + '%' }} />
            </div>
          </div>
          <label className="field-label" htmlFor="new-task">
            What needs doing?
          </label>
          <form
            className="task-form"
            onSubmit={(event) => {
              event.preventDefault();
              addTask();
            }}
          >
            <input
              id="new-task"
              value={text}
              maxLength={140}
              autoComplete="off"
              onChange={(event) => setText(event.target.value)}
            />
            <label className="sr-only" htmlFor="new-task-list">
              List
            </label>
            <select id="new-task-list" value={tag} onChange={(event) => setTag(event.target.value)}>
              {taskBoard.tags.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
            <button type="submit" className="btn" disabled={!text.trim()}>
              Add task
            </button>
          </form>
          <div className="filters" role="group" aria-label="Show tasks">
            {FILTERS.map((item) => (
              <button
                key={item.id}
                type="button"
                className="chip"
                aria-pressed={filter === item.id}
                onClick={() => setFilter(item.id)}
              >
                {item.label}
              </button>
            ))}
          </div>
          {visible.length === 0 ? (
            <p className="empty">
              {filter === 'done' ? 'Nothing completed yet.' : taskBoard.empty}
            </p>
          ) : (
            <ul className="task-list">
              {visible.map((task) => (
                <li key={task.id} className={task.done ? 'task done' : 'task'}>
                  <label className="task-check">
                    <input type="checkbox" checked={task.done} onChange={() => toggle(task.id)} />
                    <span className="task-text">{task.text}</span>
                  </label>
                  <span className="task-tag">{task.tag}</span>
                  <button
                    type="button"
                    className="icon-btn"
                    aria-label={'Delete task: ' + task.text}
                    onClick={() => remove(task.id)}
                  >
                    ✕
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="task-footer">
            <span className="muted small">
              {completed} of {tasks.length} done
            </span>
            <button
              type="button"
              className="btn btn-ghost btn-small"
              disabled={completed === 0}
              onClick={clearCompleted}
            >
              Clear completed
            </button>
          </div>
        </div>
      </div>
    </section>
  );
}
