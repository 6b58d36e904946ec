export function SubmitPage({ query }: { query: URLSearchParams }) {
  return <h1>Submit {query.toString()}</h1>;
}
