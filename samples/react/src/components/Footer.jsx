export default function Footer() {
  return (
    <footer className="footer">
      <div className="container footer-inner">
        <span>Latchkey sample · React + <code>@auth0/auth0-react</code></span>
        <a href="https://github.com/auth0/auth0-react" rel="noreferrer">SDK docs</a>
      </div>
    </footer>
  );
}
