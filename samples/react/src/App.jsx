import { Route, Routes } from 'react-router';
import { useAuth0 } from '@auth0/auth0-react';
import NavBar from './components/NavBar.jsx';
import Footer from './components/Footer.jsx';
import Loading from './components/Loading.jsx';
import ErrorBanner from './components/ErrorBanner.jsx';
import Home from './pages/Home.jsx';
import ExternalApi from './pages/ExternalApi.jsx';
import Profile from './pages/Profile.jsx';
import NotFound from './pages/NotFound.jsx';
import { protect } from './components/ProtectedRoute.jsx';

const ProtectedExternalApi = protect(ExternalApi);
const ProtectedProfile = protect(Profile);

export default function App() {
  const { isLoading, error } = useAuth0();

  return (
    <div className="app">
      <a className="skip-link" href="#main">Skip to content</a>
      <NavBar />
      <main id="main" className="container" tabIndex={-1}>
        {error && <ErrorBanner title="Sign-in failed" error={error} />}
        {isLoading ? (
          <Loading />
        ) : (
          <Routes>
            <Route path="/" element={<Home />} />
            <Route path="/external-api" element={<ProtectedExternalApi />} />
            <Route path="/profile" element={<ProtectedProfile />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        )}
      </main>
      <Footer />
    </div>
  );
}
