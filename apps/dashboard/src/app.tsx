import { useEffect, useState } from 'preact/hooks';
import { TokenPrompt } from './components/token-prompt';
import { onUnauthorized } from './lib/api';
import { href, useRoute, type Route } from './lib/router';
import { forgetToken, readToken } from './lib/token';
import { OverviewPage } from './pages/overview';
import { SchedulesPage } from './pages/schedules';
import { SubmitPage } from './pages/submit';
import { TaskDetailPage } from './pages/task-detail';
import { TasksPage } from './pages/tasks';

const NAV = [
  { path: '', label: 'Overview' },
  { path: 'tasks', label: 'Tasks' },
  { path: 'submit', label: 'Submit' },
  { path: 'schedules', label: 'Schedules' },
] as const;

function page(route: Route) {
  const [section, id] = route.segments;
  switch (section ?? '') {
    case '':
      return <OverviewPage />;
    case 'tasks':
      return id ? <TaskDetailPage id={id} /> : <TasksPage query={route.query} />;
    case 'submit':
      return <SubmitPage query={route.query} />;
    case 'schedules':
      return <SchedulesPage />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            No page at <code>{location.hash}</code>. <a href={href('')}>Back to the overview</a>.
          </p>
        </section>
      );
  }
}

export function App() {
  const route = useRoute();
  // 'rejected' once a stored token was refused; the prompt then says so.
  const [auth, setAuth] = useState<'ok' | 'needed' | 'rejected'>('ok');
  // Bumped when a token is saved, so every page remounts and loads again with it.
  const [session, setSession] = useState(0);
  useEffect(() => onUnauthorized(() => setAuth(readToken() ? 'rejected' : 'needed')), []);
  useEffect(() => {
    const section = NAV.find((item) => item.path === (route.segments[0] ?? ''));
    document.title = `${section?.label ?? 'taskforge'} · taskforge dashboard`;
  }, [route]);

  const current = route.segments[0] ?? '';
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href('')}>
          taskforge
        </a>
        <nav aria-label="Pages">
          {NAV.map((item) => (
            <a key={item.path} href={href(item.path)} aria-current={current === item.path ? 'page' : undefined}>
              {item.label}
            </a>
          ))}
        </nav>
        {readToken() ? (
          <button
            type="button"
            class="link-button"
            onClick={() => {
              forgetToken();
              setSession((n) => n + 1);
            }}
          >
            Forget token
          </button>
        ) : null}
      </header>
      <main id="main" key={session}>
        {auth === 'ok' ? (
          page(route)
        ) : (
          <TokenPrompt
            rejected={auth === 'rejected'}
            onSaved={() => {
              setAuth('ok');
              setSession((n) => n + 1);
            }}
          />
        )}
      </main>
    </>
  );
}
