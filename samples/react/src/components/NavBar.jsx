import { NavLink } from 'react-router';
import { useAuth0 } from '@auth0/auth0-react';
import Avatar from './Avatar.jsx';

export default function NavBar() {
  const { isAuthenticated, isLoading, user, loginWithRedirect, logout } = useAuth0();

  const logIn = () => loginWithRedirect();
  // Seed 000's logout in today's form: /v2/logout?client_id&returnTo, back to this app.
  const logOut = () => logout({ logoutParams: { returnTo: window.location.origin } });

  return (
    <header className="navbar">
      <nav className="container navbar-inner" aria-label="Main">
        <NavLink to="/" className="brand" end>
          <span className="brand-mark" aria-hidden="true" />
          Latchkey <span className="brand-sub">React sample</span>
        </NavLink>
        <ul className="nav-links">
          <li><NavLink to="/" end>Home</NavLink></li>
          {isAuthenticated && (
            <>
              <li><NavLink to="/external-api">External API</NavLink></li>
              <li><NavLink to="/profile">Profile</NavLink></li>
            </>
          )}
        </ul>
        <div className="nav-actions">
          {!isLoading && !isAuthenticated && (
            <button type="button" className="btn btn-primary" onClick={logIn}>Log in</button>
          )}
          {isAuthenticated && (
            <>
              <span className="nav-user">
                <Avatar user={user} />
                <span className="nav-user-name">{user?.name || user?.email}</span>
              </span>
              <button type="button" className="btn btn-secondary" onClick={logOut}>Log out</button>
            </>
          )}
        </div>
      </nav>
    </header>
  );
}
