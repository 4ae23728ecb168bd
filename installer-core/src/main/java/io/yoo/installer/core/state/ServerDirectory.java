package io.yoo.installer.core.state;

import java.sql.SQLException;
import java.util.List;

/** The cluster's servers and their health ({@code GET /api/v1/servers}); one server alone lists nothing. */
public interface ServerDirectory {
    ServerDirectory NONE = () -> List.of();

    /** Every server that ever wrote a heartbeat, by id. */
    List<ServerRecord> servers() throws SQLException;
}
