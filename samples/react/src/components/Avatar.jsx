// The user's picture, or their initials when the identity provider has none (Latchkey users may have no picture).
export default function Avatar({ user, size = 'sm', decorative = true }) {
  const label = decorative ? '' : user?.name || user?.email || '';
  if (user?.picture) return <img src={user.picture} alt={label} className={`avatar avatar-${size}`} />;
  return (
    <span className={`avatar avatar-${size} avatar-initials`} role={decorative ? undefined : 'img'} aria-label={label || undefined} aria-hidden={decorative || undefined}>
      {initials(user)}
    </span>
  );
}

function initials(user) {
  const source = (user?.name || user?.email || '?').trim();
  const parts = source.split(/[\s@._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 && user?.name ? parts[parts.length - 1][0] : '')).toUpperCase();
}
