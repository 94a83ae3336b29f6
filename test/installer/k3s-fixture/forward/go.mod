module liteboxd.io/test/installer/forward

go 1.24
