namespace Latchkey.Server.Tenants.Rules;

/// <summary>
/// One thing wrong with an entity: where (<c>clients[2].callbacks[0]</c> in a tenant file, <c>callbacks[0]</c> in a
/// Management API body) and what, in words an operator can act on. The tenant file prints <c>path: problem</c>; the
/// Management API answers Auth0's 400 <c>invalid_body</c> with both.
/// </summary>
internal readonly record struct RuleProblem(string Path, string Problem)
{
    public override string ToString() => $"{Path}: {Problem}";
}
