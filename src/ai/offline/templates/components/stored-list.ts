import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';

/**
 * A list kept in this browser's localStorage under `key`. Entries that fail `isItem` are
 * dropped, so an edited or stale value cannot break the page.
 */
export function useStoredList<T>(
  key: string,
  isItem: (value: unknown) => value is T,
  initial: () => T[],
): [T[], Dispatch<SetStateAction<T[]>>] {
  const [items, setItems] = useState<T[]>(() => {
    try {
      const saved = window.localStorage.getItem(key);
      if (saved !== null) {
        const parsed: unknown = JSON.parse(saved);
        if (Array.isArray(parsed)) return parsed.filter(isItem);
      }
    } catch {
      // Storage may be blocked or hold something unexpected: start from the initial list.
    }
    return initial();
  });

  useEffect(() => {
    try {
      window.localStorage.setItem(key, JSON.stringify(items));
    } catch {
      // Storage is full or blocked: the list still works for this visit.
    }
  }, [key, items]);

  return [items, setItems];
}

export function newId(prefix: string): string {
  return prefix + '-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 8);
}
