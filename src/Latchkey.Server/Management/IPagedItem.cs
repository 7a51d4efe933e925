namespace Latchkey.Server.Management;

/// <summary>A resource listed in pages: names the member that holds the items (<c>users</c>, <c>roles</c>, …).</summary>
internal interface IPagedItem
{
    /// <summary>Auth0's name of the list in a page with totals (<c>{"start":0,…,"users":[…]}</c>).</summary>
    static abstract string Collection { get; }
}
