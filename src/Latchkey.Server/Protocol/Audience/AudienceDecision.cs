using Latchkey.Server.Tenants;

namespace Latchkey.Server.Protocol.Audience;

/// <summary>
/// The API a request targets (null: none asked for, a token for <c>/userinfo</c> only) and, for client_credentials, the
/// client grant that allows it — or the OAuth error to answer instead.
/// </summary>
internal sealed record AudienceDecision(Api? Api, ClientGrant? Grant, string? Error, string? ErrorDescription)
{
    public bool Succeeded => Error is null;

    public static AudienceDecision For(Api? api, ClientGrant? grant = null) => new(api, grant, null, null);

    public static AudienceDecision Failure(string error, string description) => new(null, null, error, description);
}
