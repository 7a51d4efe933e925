namespace Latchkey.Server.Email;

/// <summary>Where a message goes: an SMTP server (<see cref="SmtpMailTransport"/>) or the development folder (<see cref="FolderMailTransport"/>).</summary>
internal interface IMailTransport
{
    /// <summary>Sends one message; throws when it could not (the sender retries).</summary>
    Task SendAsync(MimeKit.MimeMessage message, CancellationToken cancellationToken);
}
