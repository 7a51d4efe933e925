namespace Latchkey.Server.Email;

/// <summary>Production without SMTP: nothing is queued (<see cref="MailQueue.CanSend"/> is false), so nothing reaches this.</summary>
internal sealed class NoMailTransport : IMailTransport
{
    public static readonly NoMailTransport Instance = new();

    public Task SendAsync(MimeKit.MimeMessage message, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(MailQueue.NotConfigured);
}
