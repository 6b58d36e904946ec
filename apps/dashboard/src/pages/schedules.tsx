export function SchedulesPage() {
  return <h1>Schedules</h1>;
}
