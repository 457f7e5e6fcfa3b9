from ttwell.running.cli import main

main()
