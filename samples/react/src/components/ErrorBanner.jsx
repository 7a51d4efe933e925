// Shows an SDK error (`error` / `error_description` from auth0-spa-js) or an API error body.
export default function ErrorBanner({ title, error }) {
  const code = error?.error || error?.errorCode || error?.name;
  const message = error?.error_description || error?.message || String(error);
  return (
    <div className="banner banner-error" role="alert">
      <strong>{title}</strong>
      <span>
        {message}
        {code && code !== message && <code className="error-code">{code}</code>}
      </span>
    </div>
  );
}
