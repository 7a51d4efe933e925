using System.Security.Cryptography;
using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Sessions;

/// <summary>
/// Keeps session tickets in the database (<see cref="LoginSession"/>), shared by every node. The cookie handler asks
/// for them by the random key in the cookie.
/// </summary>
internal sealed class LoginSessionStore(
    IServiceScopeFactory scopes,
    IDataProtectionProvider dataProtection,
    IOptions<LatchkeyOptions> options,
    TimeProvider time) : ITicketStore
{
    // The claim in which the cookie handler keeps the store key (CookieAuthenticationHandler.SessionIdClaim).
    private const string StoreKeyClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("Latchkey.Login.Sessions.v1");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var now = time.GetUtcNow();
        var session = new LoginSession
        {
            Id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            UserId = ticket.Principal.FindFirst("sub")?.Value ?? string.Empty,
            SessionId = ticket.Principal.FindFirst(SessionDefaults.SessionIdClaim)?.Value ?? string.Empty,
            Ticket = Protect(ticket),
            CreatedAt = now,
            ExpiresAt = ticket.Properties.ExpiresUtc ?? now.Add(options.Value.Sessions.Lifetime),
        };

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        // Expired sessions go away as new ones arrive; no background job needed.
        await db.Set<LoginSession>().Where(s => s.ExpiresAt < now).ExecuteDeleteAsync();
        db.Add(session);
        await db.SaveChangesAsync();
        return session.Id;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        var protectedTicket = Protect(ticket);
        var expires = ticket.Properties.ExpiresUtc ?? time.GetUtcNow().Add(options.Value.Sessions.Lifetime);
        await db.Set<LoginSession>().Where(s => s.Id == key)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Ticket, protectedTicket).SetProperty(s => s.ExpiresAt, expires));
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        var session = await db.Set<LoginSession>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == key);
        if (session is null || session.ExpiresAt <= time.GetUtcNow())
        {
            return null;
        }

        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(session.Ticket));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public async Task RemoveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<LoginSession>().Where(s => s.Id == key).ExecuteDeleteAsync();
    }

    /// <summary>Ends the session with this <c>sid</c>.</summary>
    public async Task<int> RemoveBySessionIdAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<LoginSession>()
            .Where(s => s.SessionId == sessionId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Ends every session of a user (administrator action, blocked user, password change).</summary>
    public async Task<int> RemoveAllAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<LoginSession>()
            .Where(s => s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// Before a new sign-in: deletes the session named by the request's session cookie (if any) and removes that
    /// cookie from the request, without letting the cookie handler read it first.
    /// </summary>
    public async Task EndRequestSessionAsync(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(SessionDefaults.AuthenticationScheme);
        var name = options.Cookie.Name!;
        var value = options.CookieManager.GetRequestCookie(http, name);
        if (value is null)
        {
            return;
        }

        if (options.TicketDataFormat.Unprotect(value)?.Principal.FindFirst(StoreKeyClaim)?.Value is { } key)
        {
            await RemoveAsync(key);
        }

        // Chunked cookies are named name, nameC1, nameC2…; drop them all.
        var remaining = http.Request.Cookies
            .Where(c => c.Key != name && !(c.Key.StartsWith(name + "C", StringComparison.Ordinal) && c.Key[(name.Length + 1)..].All(char.IsAsciiDigit)))
            .Select(c => $"{c.Key}={Uri.EscapeDataString(c.Value)}");
        http.Request.Headers.Cookie = string.Join("; ", remaining);
        http.Features.Set<IRequestCookiesFeature>(new RequestCookiesFeature(http.Features));
    }

    private byte[] Protect(AuthenticationTicket ticket) => _protector.Protect(TicketSerializer.Default.Serialize(ticket));
}
