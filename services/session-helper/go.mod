module liteboxd.local/session-helper

go 1.24
