namespace Latchkey.Server.Email;

/// <summary>
/// A message on its way out: the rendered text and HTML bodies, and who it concerns (for the tenant log when sending
/// finally fails). The bodies hold a link token: never log them.
/// </summary>
internal sealed record OutgoingMail(string To, string Subject, string Text, string Html, string Template, string? UserId, string? ClientId);
