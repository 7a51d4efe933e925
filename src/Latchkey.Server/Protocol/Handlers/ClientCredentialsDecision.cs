using Latchkey.Server.Tenants;

namespace Latchkey.Server.Protocol.Handlers;

/// <summary>The API and client grant a client_credentials request was validated against.</summary>
internal sealed record ClientCredentialsDecision(Api Api, ClientGrant Grant);
