using Latchkey.Server.Hosting;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Latchkey.Server.Email;

/// <summary>Sends through the configured SMTP server with MailKit: one connection per message (mail is rare; no pool to go stale).</summary>
internal sealed class SmtpMailTransport(SmtpOptions smtp) : IMailTransport
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };

        // Port 465 speaks TLS from the first byte; any other port must upgrade with STARTTLS when UseTls is set.
        var security = !smtp.UseTls ? SecureSocketOptions.None
            : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls;
        await client.ConnectAsync(smtp.Host ?? throw new InvalidOperationException(MailQueue.NotConfigured), smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
