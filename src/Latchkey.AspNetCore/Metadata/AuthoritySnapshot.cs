using System.Collections.Frozen;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Latchkey.AspNetCore.Metadata;

/// <summary>One fetched discovery document with its signing keys, indexed by <c>kid</c>.</summary>
internal sealed record AuthoritySnapshot(OpenIdConnectConfiguration Configuration, FrozenSet<string> KeyIds, int Version);
