namespace Latchkey.Server.Hosting;

/// <summary><c>Latchkey:Email:Smtp</c>: the SMTP server (MailKit) that sends the tenant's mail.</summary>
public sealed class SmtpOptions
{
    /// <summary>Host name of the SMTP server. Unset: no mail is sent (see <see cref="EmailOptions.PickupFolder"/>).</summary>
    public string? Host { get; set; }

    /// <summary>Port: 587 (submission with STARTTLS), 465 (implicit TLS) or 25.</summary>
    public int Port { get; set; } = 587;

    /// <summary>User name for SMTP authentication; unset: no authentication.</summary>
    public string? Username { get; set; }

    /// <summary>Password for SMTP authentication (prefer an environment variable: <c>Latchkey__Email__Smtp__Password</c>).</summary>
    public string? Password { get; set; }

    /// <summary>Require TLS (implicit on port 465, STARTTLS otherwise). <c>false</c> only for a local relay or a test sink.</summary>
    public bool UseTls { get; set; } = true;
}
