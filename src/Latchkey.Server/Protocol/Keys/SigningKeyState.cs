namespace Latchkey.Server.Protocol.Keys;

/// <summary>Where a signing key is in its life, derived from its row at a given time.</summary>
public enum SigningKeyState
{
    /// <summary>Published, not yet signing: the key the next rotation makes current.</summary>
    Next,

    /// <summary>Signing every new token.</summary>
    Current,

    /// <summary>Replaced by a rotation; published while tokens it signed can still be alive.</summary>
    Previous,

    /// <summary>Replaced long enough ago that no token it signed can be alive; no longer published.</summary>
    Expired,

    /// <summary>Revoked by an administrator; no longer published, its tokens no longer verify.</summary>
    Revoked,
}
