using System.Globalization;
using MimeKit;

namespace Latchkey.Server.Email;

/// <summary>
/// Development without SMTP: each message becomes an <c>.eml</c> file (any mail client opens it) so a newcomer can click
/// the links. The path is logged; the message itself never is (it holds a link token).
/// </summary>
internal sealed partial class FolderMailTransport(string folder, TimeProvider time, ILogger<FolderMailTransport> logger) : IMailTransport
{
    public string Folder { get; } = folder;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var name = string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow():yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}.eml");
        var path = Path.Combine(Folder, name);
        await message.WriteToAsync(path, cancellationToken);
        LogWritten(logger, message.Subject ?? string.Empty, path);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail \"{Subject}\" written to {Path} (no SMTP server configured: Latchkey:Email:Smtp:Host).")]
    private static partial void LogWritten(ILogger logger, string subject, string path);
}
