using System.Text.Json;
using Latchkey.Server.Persistence;
using Latchkey.Server.Protocol.Clients;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.Server.Management.Grants;

/// <summary>
/// Reads and revokes grants and refresh-token families, which live in OpenIddict's authorization and token rows
/// (docs/reference/openiddict.md §5, §7): an authorization per login flow, its code and refresh tokens pointing at it,
/// each row carrying the client, API, scopes and session (<see cref="LatchkeyTokenManager"/>'s properties).
/// </summary>
internal static class GrantFamilies
{
    /// <summary>
    /// The valid authorizations of <paramref name="userId"/> (every user's when null), ordered by id; with
    /// <paramref name="id"/>, only that one.
    /// </summary>
    public static async Task<List<GrantFamily>> ListAsync(LatchkeyDbContext db, DateTimeOffset now, string? userId, string? id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var query = db.Set<OpenIddictEntityFrameworkCoreAuthorization>().AsNoTracking().Where(a => a.Status == Statuses.Valid && a.Subject != null);
        if (userId is not null)
        {
            query = query.Where(a => a.Subject == userId);
        }

        if (id is not null)
        {
            query = query.Where(a => a.Id == id);
        }

        var authorizations = await query.Select(a => new { a.Id, a.Subject, a.CreationDate, a.Scopes }).ToListAsync(cancellationToken);
        var ids = authorizations.Select(a => a.Id!).ToList();
        var rows = (await db.Set<OpenIddictEntityFrameworkCoreToken>().AsNoTracking()
            .Where(t => t.Authorization != null && ids.Contains(t.Authorization.Id!))
            .Select(t => new { AuthorizationId = t.Authorization!.Id!, t.Type, t.Status, t.CreationDate, t.ExpirationDate, t.RedemptionDate, t.Properties })
            .ToListAsync(cancellationToken))
            .ToLookup(t => t.AuthorizationId, StringComparer.Ordinal);

        var families = new List<GrantFamily>();
        foreach (var authorization in authorizations.OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            var tokens = rows[authorization.Id!].OrderBy(t => t.CreationDate).ToList();
            var properties = tokens.Select(t => Properties(t.Properties)).LastOrDefault(p => p.ContainsKey(LatchkeyTokenManager.ClientProperty));
            if (properties is null)
            {
                // Not issued by this server's token manager (no client recorded): nothing an administrator can act on.
                continue;
            }

            var refreshTokens = tokens.Where(t => t.Type == TokenTypeIdentifiers.RefreshToken).ToList();
            var current = refreshTokens.LastOrDefault(t => t.Status == Statuses.Valid && t.ExpirationDate > now.UtcDateTime);
            var scopes = properties.GetValueOrDefault(LatchkeyTokenManager.ScopeProperty) is { } scope
                ? scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                : JsonSerializer.Deserialize<string[]>(authorization.Scopes ?? "[]") ?? [];
            families.Add(new GrantFamily(
                authorization.Id!,
                authorization.Subject!,
                properties[LatchkeyTokenManager.ClientProperty],
                properties.GetValueOrDefault(LatchkeyTokenManager.AudienceProperty) ?? string.Empty,
                scopes,
                Utc(authorization.CreationDate),
                properties.GetValueOrDefault(LatchkeyTokenManager.SessionProperty),
                current is null ? null : new RefreshTokenState(Utc(current.ExpirationDate), Utc(refreshTokens.Max(t => t.RedemptionDate)))));
        }

        return families;
    }

    /// <summary>
    /// Revokes an authorization and every token it issued (OpenIddict refuses a refresh token whose authorization is
    /// revoked, so a rotation racing this call cannot bring the family back).
    /// </summary>
    public static async Task RevokeAsync(IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(authorizations);
        if (await authorizations.FindByIdAsync(id, cancellationToken) is { } authorization)
        {
            await authorizations.TryRevokeAsync(authorization, cancellationToken);
        }

        await tokens.RevokeByAuthorizationIdAsync(id, cancellationToken);
    }

    /// <summary>Revokes every authorization of <paramref name="userId"/> and every token they issued; login sessions stay.</summary>
    public static async Task RevokeUserAsync(IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(authorizations);
        await authorizations.RevokeBySubjectAsync(userId, cancellationToken);
        await tokens.RevokeBySubjectAsync(userId, cancellationToken);
    }

    private static Dictionary<string, string> Properties(string? json)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json))
        {
            return values;
        }

        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
            {
                values[property.Name] = property.Value.GetString()!;
            }
        }

        return values;
    }

    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } date ? new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc)) : null;
}
