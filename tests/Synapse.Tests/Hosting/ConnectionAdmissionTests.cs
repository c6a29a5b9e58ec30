using Synapse.Hosting;

namespace Synapse.Tests.Hosting;

public sealed class ConnectionAdmissionTests
{
    [Fact]
    public void At_the_pending_bound_the_oldest_pending_connection_is_shed_never_the_new_one()
    {
        var admission = new ConnectionAdmission<string>(maxConnections: 10, maxPendingConnections: 2);

        Assert.Null(admission.Admit("a"));
        Assert.Null(admission.Admit("b"));
        Assert.Equal("a", admission.Admit("c"));
        Assert.Equal("b", admission.Admit("d"));

        Assert.Equal(2, admission.Pending);
    }

    [Fact]
    public void A_proved_connection_leaves_the_pending_pool_and_is_never_shed()
    {
        var admission = new ConnectionAdmission<string>(maxConnections: 10, maxPendingConnections: 1);
        admission.Admit("caller");

        Assert.True(admission.TryProve("caller"));
        Assert.Null(admission.Admit("silent-1"));
        Assert.Equal("silent-1", admission.Admit("silent-2"));

        Assert.Equal((1, 1), (admission.Proved, admission.Pending));
    }

    [Fact]
    public void Proving_takes_a_slot_and_fails_when_none_is_free()
    {
        var admission = new ConnectionAdmission<string>(maxConnections: 1, maxPendingConnections: 10);
        admission.Admit("first");
        admission.Admit("second");

        Assert.True(admission.HasRoom);
        Assert.True(admission.TryProve("first"));
        Assert.False(admission.HasRoom);
        Assert.False(admission.TryProve("second"));
        Assert.Equal((1, 0), (admission.Proved, admission.Pending)); // the refused one is counted nowhere

        admission.Closed("first");
        Assert.True(admission.HasRoom);
    }

    [Fact]
    public void A_shed_connection_cannot_prove_itself_afterwards()
    {
        var admission = new ConnectionAdmission<string>(maxConnections: 10, maxPendingConnections: 1);
        admission.Admit("old");
        admission.Admit("new");

        Assert.False(admission.TryProve("old"));
        Assert.Equal(0, admission.Proved);
    }

    [Fact]
    public void Closing_frees_whichever_pool_held_the_connection_once()
    {
        var admission = new ConnectionAdmission<string>(maxConnections: 10, maxPendingConnections: 10);
        admission.Admit("pending");
        admission.Admit("proved");
        admission.TryProve("proved");

        admission.Closed("pending");
        admission.Closed("proved");
        admission.Closed("proved");

        Assert.Equal((0, 0), (admission.Proved, admission.Pending));
    }
}
