using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Latchkey.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Email;

/// <summary>
/// The messages Latchkey sends, as a text and an HTML body each. Placeholders: <c>{{tenant}}</c>, <c>{{email}}</c>,
/// <c>{{link}}</c>, <c>{{application}}</c>, <c>{{hours}}</c> (how long the link works). A file
/// <c>&lt;name&gt;.txt</c> or <c>&lt;name&gt;.html</c> in <c>Latchkey:Email:TemplatesFolder</c> replaces the built-in
/// body (read once). Values are HTML-encoded in the HTML body.
/// </summary>
internal sealed class MailTemplates(IOptions<LatchkeyOptions> options)
{
    public const string VerifyEmail = "verify_email";
    public const string ResetEmail = "reset_email";

    private readonly ConcurrentDictionary<string, string> _overrides = new(StringComparer.Ordinal);

    public string TenantName { get; } = options.Value.Email.TenantName is { Length: > 0 } name ? name : options.Value.Issuer?.Host ?? "Latchkey";

    public OutgoingMail Render(string template, string to, string link, string? applicationName, TimeSpan lifetime, string? userId, string? clientId)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["tenant"] = TenantName,
            ["email"] = to,
            ["link"] = link,
            ["application"] = applicationName ?? TenantName,
            ["hours"] = ((int)Math.Ceiling(lifetime.TotalHours)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var (subject, text, html) = template switch
        {
            VerifyEmail => ($"Verify your email for {TenantName}", VerifyText, VerifyHtml),
            ResetEmail => ($"Reset your {TenantName} password", ResetText, ResetHtml),
            _ => throw new ArgumentOutOfRangeException(nameof(template), template, "Unknown mail template."),
        };
        return new OutgoingMail(
            to,
            subject,
            Fill(Load(template + ".txt", text), values, encode: false),
            Fill(Load(template + ".html", html), values, encode: true),
            template,
            userId,
            clientId);
    }

    private string Load(string file, string builtIn) =>
        options.Value.Email.TemplatesFolder is not { Length: > 0 } folder ? builtIn
            : _overrides.GetOrAdd(file, name => File.Exists(Path.Combine(folder, name)) ? File.ReadAllText(Path.Combine(folder, name)) : builtIn);

    private static string Fill(string template, Dictionary<string, string> values, bool encode)
    {
        foreach (var (key, value) in values)
        {
            template = template.Replace("{{" + key + "}}", encode ? HtmlEncoder.Default.Encode(value) : value, StringComparison.Ordinal);
        }

        return template;
    }

    private const string VerifyText = """
        Hello,

        Please verify the email address {{email}} for your {{application}} account by opening this link:

        {{link}}

        The link works once, for {{hours}} hours. If you did not create this account, ignore this message.

        {{tenant}}
        """;

    private const string VerifyHtml = """
        <!doctype html>
        <html lang="en"><body style="font-family:system-ui,sans-serif;color:#1f2933">
        <p>Hello,</p>
        <p>Please verify the email address <strong>{{email}}</strong> for your {{application}} account.</p>
        <p><a href="{{link}}" style="display:inline-block;padding:10px 18px;background:#3451b2;color:#fff;border-radius:6px;text-decoration:none">Verify your email</a></p>
        <p>The link works once, for {{hours}} hours. If you did not create this account, ignore this message.</p>
        <p>{{tenant}}</p>
        </body></html>
        """;

    private const string ResetText = """
        Hello,

        Someone asked to reset the password of the {{application}} account for {{email}}. To choose a new password, open this link:

        {{link}}

        The link works once, for {{hours}} hours. If you did not ask for this, ignore this message: your password stays as it is.

        {{tenant}}
        """;

    private const string ResetHtml = """
        <!doctype html>
        <html lang="en"><body style="font-family:system-ui,sans-serif;color:#1f2933">
        <p>Hello,</p>
        <p>Someone asked to reset the password of the {{application}} account for <strong>{{email}}</strong>.</p>
        <p><a href="{{link}}" style="display:inline-block;padding:10px 18px;background:#3451b2;color:#fff;border-radius:6px;text-decoration:none">Choose a new password</a></p>
        <p>The link works once, for {{hours}} hours. If you did not ask for this, ignore this message: your password stays as it is.</p>
        <p>{{tenant}}</p>
        </body></html>
        """;
}
