namespace Latchkey.Server.Management;

/// <summary>
/// A request input (body, paging query) bound before the handler runs. When it is not acceptable, binding keeps the
/// Auth0-shaped error here and <see cref="RejectInvalidInput"/> answers with it, so handlers only ever see valid input.
/// </summary>
internal interface IManagementInput
{
    ManagementProblem? Problem { get; }
}
