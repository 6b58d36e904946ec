export function TaskDetailPage({ id }: { id: string }) {
  return <h1>Task {id}</h1>;
}
