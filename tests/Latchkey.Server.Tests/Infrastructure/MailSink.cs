using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using netDumbster.smtp;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on a free loopback port (netDumbster), for tests of what Latchkey mails. <see cref="Args"/> points
/// the server at it (no TLS: the sink speaks plain SMTP). Messages are parsed with MimeKit, as a mail client would.
/// </summary>
public sealed partial class MailSink : IDisposable
{
    private readonly SimpleSmtpServer _server = SimpleSmtpServer.Start(LatchkeyTestServer.FreePort());

    public int Port => _server.Configuration.Port;

    /// <summary>Server arguments that send mail here.</summary>
    public string[] Args => ["--Latchkey:Email:Smtp:Host", "127.0.0.1", "--Latchkey:Email:Smtp:Port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--Latchkey:Email:Smtp:UseTls", "false"];

    public IReadOnlyList<MimeMessage> Messages => [.. _server.ReceivedEmail.Select(m => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(m.Data))))];

    /// <summary>
    /// Waits (generously: the sender works off the request path, several at once) for a message to <paramref name="to"/>
    /// whose subject contains <paramref name="subject"/>.
    /// </summary>
    public async Task<MimeMessage> WaitForAsync(string to, string subject)
    {
        var found = await Eventually.PollAsync(
            () => Task.FromResult(Messages.FirstOrDefault(m => (m.Subject ?? string.Empty).Contains(subject, StringComparison.Ordinal) && m.To.Mailboxes.Any(b => string.Equals(b.Address, to, StringComparison.OrdinalIgnoreCase)))),
            message => message is not null,
            TimeSpan.FromSeconds(30));
        Assert.True(found is not null, $"no \"{subject}\" message to {to}; got {Messages.Count} in all");
        return found;
    }

    /// <summary>The one account link in a message (text body), as a path and query on the server.</summary>
    public static string LinkPath(MimeMessage message)
    {
        var link = LinkPattern().Match(message.TextBody ?? string.Empty);
        Assert.True(link.Success, "no account link in: " + message.TextBody);
        Assert.Contains(link.Value, message.HtmlBody, StringComparison.Ordinal);
        var uri = new Uri(link.Value);
        return uri.PathAndQuery;
    }

    public void Dispose() => _server.Dispose();

    [GeneratedRegex(@"https?://\S+/u/[a-z-]+\?ticket=[A-Za-z0-9_-]+#?")]
    private static partial Regex LinkPattern();
}
