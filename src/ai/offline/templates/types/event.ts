export interface EventData {
  date: string;
  time: string;
  venue: string;
  scheduleIntro: string;
  rsvpIntro: string;
  details: { id: string; icon: string; label: string; value: string }[];
  schedule: { id: string; time: string; title: string; detail: string }[];
}
