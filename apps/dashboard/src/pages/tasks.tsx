export function TasksPage({ query }: { query: URLSearchParams }) {
  return <h1>Tasks {query.toString()}</h1>;
}
