using System.Text.Json;
using Latchkey.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.Server.Protocol.Clients;

/// <summary>
/// OpenIddict's token manager, with one addition: every stored token row (authorization codes, refresh tokens) records
/// the client it was issued to in its <c>Properties</c> (<see cref="ClientProperty"/>).
/// <para>
/// Why: the rows carry no application link (<see cref="LatchkeyApplicationManager"/>: there is no OpenIddict
/// application row to point at), so without this a deleted Application's refresh tokens could not be found, and an
/// Application re-created later with the same <c>client_id</c> (a tenant file) would accept them again.
/// <see cref="RevokeByApplicationIdAsync"/> (OpenIddict's own "revoke what this application holds", the application id
/// being the <c>client_id</c>) finds them by that property; the Management API calls it when an Application is deleted.
/// </para>
/// <para>
/// It also records the API (<see cref="AudienceProperty"/>), the granted scopes (<see cref="ScopeProperty"/>) and the
/// login session (<see cref="SessionProperty"/>): the token payloads are encrypted, and the Management API's grants and
/// refresh-token resources (Auth0's <c>audience</c>, <c>scope</c>, <c>resource_servers</c>, <c>session_id</c>) read them
/// from the rows.
/// </para>
/// </summary>
internal sealed class LatchkeyTokenManager(
    IOpenIddictTokenCache<OpenIddictEntityFrameworkCoreToken> cache,
    ILogger<OpenIddictTokenManager<OpenIddictEntityFrameworkCoreToken>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictTokenStore<OpenIddictEntityFrameworkCoreToken> store,
    DeferredDbContext context)
    : OpenIddictTokenManager<OpenIddictEntityFrameworkCoreToken>(cache, logger, options, store)
{
    /// <summary>The token property naming the client (the OpenIddict application id is the <c>client_id</c>).</summary>
    public const string ClientProperty = "latchkey_client_id";

    /// <summary>The token property naming the API (OpenIddict resource, Auth0 <c>audience</c>) the token is for.</summary>
    public const string AudienceProperty = "latchkey_audience";

    /// <summary>The token property holding the granted scopes, space-separated.</summary>
    public const string ScopeProperty = "latchkey_scope";

    /// <summary>The token property holding the login session's <c>sid</c>.</summary>
    public const string SessionProperty = "latchkey_sid";

    // OIDC Front-/Back-Channel Logout's "sid", as UserTokenPrincipal writes it.
    private const string SessionClaim = "sid";

    // A redemption made in memory by RedeemWithSuccessorAsync, not yet written, and whether its write lost a race.
    private OpenIddictEntityFrameworkCoreToken? _pendingRedemption;
    private bool _redemptionLost;

    /// <summary>The request's context, built on first use (<see cref="DeferredDbContext"/>).</summary>
    private LatchkeyDbContext Db => context.Value;

    public override ValueTask PopulateAsync(OpenIddictEntityFrameworkCoreToken token, OpenIddictTokenDescriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (!string.IsNullOrEmpty(descriptor.ApplicationId))
        {
            descriptor.Properties[ClientProperty] = JsonSerializer.SerializeToElement(descriptor.ApplicationId);
        }

        if (descriptor.Principal is { } principal)
        {
            if (principal.GetResources() is [var audience, ..])
            {
                descriptor.Properties[AudienceProperty] = JsonSerializer.SerializeToElement(audience);
            }

            descriptor.Properties[ScopeProperty] = JsonSerializer.SerializeToElement(string.Join(' ', principal.GetScopes()));
            if (principal.GetClaim(SessionClaim) is { Length: > 0 } sessionId)
            {
                descriptor.Properties[SessionProperty] = JsonSerializer.SerializeToElement(sessionId);
            }
        }

        return PopulateWithoutApplicationAsync(token, descriptor, cancellationToken);
    }

    /// <summary>
    /// Redeems <paramref name="token"/> in memory only: the <c>UPDATE</c> (under the row's concurrency token, RT-9) is
    /// written together with the next row this request creates, the successor refresh token, in one
    /// <c>SaveChanges</c>: one transaction (SQLite: one write lock, one sync), one batch on PostgreSQL
    /// (docs/performance.md, "One write per rotation"). OpenIddict's own redemption of the same token is then a no-op
    /// (<see cref="TryRedeemAsync"/>). <see cref="CompleteRedemptionAsync"/> says whether the write won.
    /// </summary>
    public async ValueTask RedeemWithSuccessorAsync(OpenIddictEntityFrameworkCoreToken token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);

        // FindByIdAsync tracks the row; a row that is not tracked is attached with its values as read, so the UPDATE's
        // concurrency check compares with the token this request validated.
        if (Db.Entry(token).State == EntityState.Detached)
        {
            Db.Attach(token);
        }

        if (await Store.GetRedemptionDateAsync(token, cancellationToken) is null)
        {
            await Store.SetRedemptionDateAsync(token, now, cancellationToken);
        }

        await Store.SetStatusAsync(token, Statuses.Redeemed, cancellationToken);
        token.ConcurrencyToken = Guid.NewGuid().ToString();
        _pendingRedemption = token;
    }

    /// <summary>
    /// Writes a redemption made by <see cref="RedeemWithSuccessorAsync"/> that no new row has carried yet; false when
    /// another request (on this node or another) redeemed the token first, in which case nothing of this request was
    /// written.
    /// </summary>
    public async ValueTask<bool> CompleteRedemptionAsync(CancellationToken cancellationToken)
    {
        if (_pendingRedemption is { } pending)
        {
            try
            {
                await Db.SaveChangesAsync(cancellationToken);
                _pendingRedemption = null;
            }
            catch (DbUpdateConcurrencyException)
            {
                ForgetLostRedemption(pending, successor: null);
            }
        }

        return !_redemptionLost;
    }

    /// <summary>OpenIddict's redemption (<c>RedeemTokenEntry</c>): a token redeemed by <see cref="RedeemWithSuccessorAsync"/> is not written twice.</summary>
    public override ValueTask<bool> TryRedeemAsync(OpenIddictEntityFrameworkCoreToken token, CancellationToken cancellationToken = default) =>
        token is not null && ReferenceEquals(token, _pendingRedemption) ? ValueTask.FromResult(true) : base.TryRedeemAsync(token!, cancellationToken);

    /// <summary>
    /// Creates a row; with a pending redemption the same <c>SaveChanges</c> writes both. If the redemption loses its
    /// race the transaction rolls back (no successor is stored) and <see cref="CompleteRedemptionAsync"/> reports it.
    /// </summary>
    public override async ValueTask CreateAsync(OpenIddictEntityFrameworkCoreToken token, CancellationToken cancellationToken = default)
    {
        if (_pendingRedemption is not { } pending)
        {
            await base.CreateAsync(token, cancellationToken);
            return;
        }

        try
        {
            await base.CreateAsync(token, cancellationToken);
            _pendingRedemption = null;
        }
        catch (DbUpdateConcurrencyException)
        {
            ForgetLostRedemption(pending, token);
        }
    }

    // Nothing of the failed SaveChanges stays tracked, so no later write of this request retries it.
    private void ForgetLostRedemption(OpenIddictEntityFrameworkCoreToken redeemed, OpenIddictEntityFrameworkCoreToken? successor)
    {
        Db.Entry(redeemed).State = EntityState.Detached;
        if (successor is not null)
        {
            Db.Entry(successor).State = EntityState.Detached;
        }

        _pendingRedemption = null;
        _redemptionLost = true;
    }

    /// <summary>
    /// OpenIddict's population, minus the application link: there are no OpenIddict application rows
    /// (<see cref="LatchkeyApplicationManager"/>), so the EF store's lookup of one (a <c>SELECT</c> per new row) always
    /// finds nothing and leaves the link empty; the client is recorded in <see cref="ClientProperty"/> instead.
    /// </summary>
    private async ValueTask PopulateWithoutApplicationAsync(OpenIddictEntityFrameworkCoreToken token, OpenIddictTokenDescriptor descriptor, CancellationToken cancellationToken)
    {
        var applicationId = descriptor.ApplicationId;
        descriptor.ApplicationId = null;
        try
        {
            await base.PopulateAsync(token, descriptor, cancellationToken);
        }
        finally
        {
            descriptor.ApplicationId = applicationId;
        }
    }

    /// <summary>
    /// Revokes every still-valid token row issued to the client <paramref name="identifier"/> (pending codes and refresh
    /// tokens), in the request's <see cref="LatchkeyDbContext"/> and so in its current transaction; returns how many.
    /// </summary>
    public override async ValueTask<long> RevokeByApplicationIdAsync(string identifier, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        var clientId = identifier;

        // The properties are compact JSON written by OpenIddict's store; client ids hold no JSON-escaped characters
        // (letters, digits, '-', '_', '.'), and LIKE's own wildcards in them are escaped.
        var pattern = "%" + Escape(JsonSerializer.Serialize(new Dictionary<string, string> { [ClientProperty] = clientId })[1..^1]) + "%";
        return await Db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(t => t.Properties != null && EF.Functions.Like(t.Properties, pattern, "\\") && t.Status == Statuses.Valid)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.Status, Statuses.Revoked), cancellationToken);
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
