using Microsoft.Extensions.Time.Testing;

namespace Latchkey.AspNetCore.Tests.Infrastructure;

/// <summary>What a protected API needs to know about its authority: the issuer and the shared clock.</summary>
public interface IAuthorityInfo
{
    string Issuer { get; }

    FakeTimeProvider Clock { get; }
}
