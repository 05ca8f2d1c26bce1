export interface TaskSeed {
  id: string;
  text: string;
  tag: string;
  done: boolean;
}

export interface TaskBoardData {
  storageKey: string;
  title: string;
  allDone: string;
  empty: string;
  tags: string[];
  starter: TaskSeed[];
}
