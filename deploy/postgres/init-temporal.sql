-- Temporal keeps its own databases beside fluxagent's event store on the same server
-- (auto-setup creates their schema). Run once, when the data volume is new.
CREATE DATABASE temporal;
CREATE DATABASE temporal_visibility;
