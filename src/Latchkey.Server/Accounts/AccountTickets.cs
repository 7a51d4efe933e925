using System.Security.Cryptography;
using System.Text;
using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Accounts;

/// <summary>
/// Issues and uses <see cref="AccountTicket"/>s. A link is <c>&lt;issuer&gt;u/…?ticket=&lt;token&gt;#</c> (Auth0's ticket
/// URLs end with <c>#</c> too): 256 random bits, of which only the SHA-256 is stored. Using a ticket is one conditional
/// UPDATE (unused, not expired, right purpose), so two clicks on two nodes cannot both succeed.
/// </summary>
internal sealed class AccountTickets(LatchkeyDbContext db, TimeProvider time, IOptions<LatchkeyOptions> options)
{
    public const string VerifyEmailPath = "/u/email-verification";
    public const string ResetPasswordPath = "/u/reset-password";

    /// <summary>Longest token accepted from a link (43 base64url characters are issued).</summary>
    private const int MaxTokenLength = 128;

    public async Task<string> IssueAsync(string purpose, string userId, TimeSpan lifetime, TicketOptions ticket, CancellationToken cancellationToken)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();

        // A user's expired links are cleared as new ones are made, so the table holds little more than live links.
        await db.Set<AccountTicket>().Where(t => t.UserId == userId && t.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        db.Add(new AccountTicket
        {
            TokenHash = Hash(token),
            Purpose = purpose,
            UserId = userId,
            ClientId = ticket.ClientId,
            ResultUrl = ticket.ResultUrl,
            IncludeEmailInRedirect = ticket.IncludeEmailInRedirect,
            MarkEmailAsVerified = ticket.MarkEmailAsVerified,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        var path = purpose == AccountTicketPurposes.VerifyEmail ? VerifyEmailPath : ResetPasswordPath;
        return new Uri(options.Value.Issuer!, path.TrimStart('/') + "?ticket=" + token + "#").AbsoluteUri;
    }

    /// <summary>The ticket if it is usable now (unused, not expired, for <paramref name="purpose"/>), without using it.</summary>
    public async Task<AccountTicket?> FindUsableAsync(string? token, string purpose, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return null;
        }

        var hash = Hash(token);
        var now = time.GetUtcNow();
        return await db.Set<AccountTicket>().AsNoTracking()
            .FirstOrDefaultAsync(t => t.TokenHash == hash && t.Purpose == purpose && t.UsedAt == null && t.ExpiresAt > now, cancellationToken);
    }

    /// <summary>Uses the ticket: true for exactly one caller while it is usable.</summary>
    public async Task<bool> TryUseAsync(string token, string purpose, CancellationToken cancellationToken)
    {
        var hash = Hash(token);
        var now = time.GetUtcNow();
        var used = await db.Set<AccountTicket>()
            .Where(t => t.TokenHash == hash && t.Purpose == purpose && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now), cancellationToken);
        return used == 1;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>What a ticket carries besides its user: where it came from and where it leads.</summary>
internal sealed record TicketOptions(string? ClientId = null, string? ResultUrl = null, bool IncludeEmailInRedirect = false, bool MarkEmailAsVerified = false);
